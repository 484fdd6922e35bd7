package iamapi

import (
	"strings"

	"github.com/verdict-project/verdict/store"
)

// listByPath is the shape of ListUsers, ListRoles and ListGroups: read the
// PathPrefix and paging parameters, authorize action on the resource AWS names
// in the denial (arn:aws:iam::ACCOUNT:KIND followed by the path prefix), load
// the account's entities, keep those under the prefix, and render one page in
// name order (IAM names are unique without regard to case).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
func listByPath[T, X any](q *request, action, kind string, load func(store.Tx, string) ([]T, error),
	path, name func(*T) string, render func(*T) X) (items []X, marker string, truncated bool, err error) {
	p := q.params()
	prefix := p.pathPrefix("PathPrefix")
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, "", false, err
	}
	if err := q.authorize(action, "arn:aws:iam::"+q.account+":"+kind+prefix, nil); err != nil {
		return nil, "", false, err
	}
	err = q.view(func(tx store.Tx) error {
		all, err := load(tx, q.account)
		if err != nil {
			return err
		}
		all = filterPath(all, prefix, path)
		page, next, more := paginate(all, func(t *T) string { return strings.ToLower(name(t)) }, pr)
		items = make([]X, 0, len(page))
		for i := range page {
			items = append(items, render(&page[i]))
		}
		marker, truncated = next, more
		return nil
	})
	return items, marker, truncated, err
}
