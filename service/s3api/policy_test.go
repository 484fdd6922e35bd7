package s3api

import (
	"fmt"
	"strings"
)

// allowPolicy returns a bucket policy with one Allow statement for the root of
// account (or "*" for everyone) on the given actions and resources, with
// an optional Condition block (JSON, without braces' outer key).
func allowPolicy(account string, actions, resources []string, condition string) string {
	principal := `"*"`
	if account != "*" {
		principal = fmt.Sprintf(`{"AWS": "arn:aws:iam::%s:root"}`, account)
	}
	cond := ""
	if condition != "" {
		cond = `, "Condition": ` + condition
	}
	return fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s, "Action": [%s], "Resource": [%s]%s}]}`,
		principal, quoteList(actions), quoteList(resources), cond)
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = `"` + v + `"`
	}
	return strings.Join(q, ", ")
}
