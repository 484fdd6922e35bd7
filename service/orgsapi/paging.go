package orgsapi

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Every Organizations List* call pages its results: MaxResults asks for at
// most that many (1 to 20), and a response with more to come carries a
// NextToken that the next call passes back. Callers must keep asking
// until NextToken is absent.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
const maxPageSize = 20

// paging is the MaxResults / NextToken pair of a List* request; list
// operations embed it in their input.
type paging struct {
	MaxResults int
	NextToken  string
}

// tokenPrefix marks verdict's page tokens, which hold the offset of the
// next item. A token is opaque to clients, as AWS's are.
const tokenPrefix = "verdict-page:"

// page cuts items to the page p asks for and returns the token of the rest
// ("" on the last page).
//
// When MaxResults is absent AWS uses "a value that is specific to the
// operation"; verdict uses the largest, 20. The errors for a MaxResults
// outside 1 to 20 and for a token that no earlier response gave are
// InvalidInputException with the reasons the API reference lists
// (MIN_VALUE_EXCEEDED, MAX_VALUE_EXCEEDED, INVALID_PAGINATION_TOKEN); their
// message wording is an assumption.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_InvalidInputException.html
func page[T any](items []T, p paging) ([]T, string, error) {
	size := p.MaxResults
	switch {
	case size == 0:
		size = maxPageSize
	case size < 1:
		return nil, "", invalidInput("You provided a value that is less than the minimum allowed.")
	case size > maxPageSize:
		return nil, "", invalidInput("You provided a value that exceeds the maximum allowed.")
	}
	start := 0
	if p.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.NextToken)
		n, ok := strings.CutPrefix(string(raw), tokenPrefix)
		if err == nil && ok {
			start, err = strconv.Atoi(n)
		}
		if err != nil || !ok || start < 1 || start > len(items) {
			return nil, "", invalidInput("The specified pagination token is not valid. Get the value for the NextToken parameter from the response to a previous call of the operation.")
		}
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + strconv.Itoa(end)))
	}
	out := items[start:end]
	if out == nil {
		out = []T{} // an empty list, not null
	}
	return out, next, nil
}
