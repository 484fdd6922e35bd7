package orgsapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
)

// TestPaging: List* calls return at most MaxResults (1 to 20, default 20)
// items and a NextToken while more remain; the SDK's paginators collect
// every item; a token no response gave, and a MaxResults out of range, are
// InvalidInputException.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListOrganizationalUnitsForParent.html
func TestPaging(t *testing.T) {
	e := newEnv(t)
	o := e.setupOrg()
	c := e.orgs(mgmtAdmin)
	const ous = 25
	for i := range ous {
		_, err := c.CreateOrganizationalUnit(bg, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(o.root), Name: aws.String(fmt.Sprintf("ou-%02d", i))})
		noErr(t, err)
	}
	for _, tt := range []struct {
		name      string
		max       int32
		wantPages []int
	}{
		{"default page size", 0, []int{20, 5}},
		{"ten per page", 10, []int{10, 10, 5}},
		{"all in one page", 20, []int{20, 5}},
		{"one per page", 1, nil}, // 25 pages of one
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(o.root)}
			if tt.max > 0 {
				in.MaxResults = aws.Int32(tt.max)
			}
			var pages []int
			seen := map[string]bool{}
			for {
				out, err := c.ListOrganizationalUnitsForParent(bg, in)
				noErr(t, err)
				pages = append(pages, len(out.OrganizationalUnits))
				for _, u := range out.OrganizationalUnits {
					if seen[aws.ToString(u.Id)] {
						t.Fatalf("OU %s listed twice", aws.ToString(u.Id))
					}
					seen[aws.ToString(u.Id)] = true
				}
				if out.NextToken == nil {
					break
				}
				in.NextToken = out.NextToken
			}
			if len(seen) != ous {
				t.Errorf("listed %d OUs, want %d", len(seen), ous)
			}
			if tt.wantPages != nil && fmt.Sprint(pages) != fmt.Sprint(tt.wantPages) {
				t.Errorf("page sizes %v, want %v", pages, tt.wantPages)
			}
		})
	}
	t.Run("paginator", func(t *testing.T) {
		p := organizations.NewListChildrenPaginator(c, &organizations.ListChildrenInput{ParentId: aws.String(o.root), ChildType: "ORGANIZATIONAL_UNIT",
			MaxResults: aws.Int32(7)})
		n := 0
		for p.HasMorePages() {
			out, err := p.NextPage(bg)
			noErr(t, err)
			n += len(out.Children)
		}
		if n != ous {
			t.Errorf("paginator listed %d children, want %d", n, ous)
		}
	})
	for _, tt := range []struct {
		name  string
		input *organizations.ListAccountsInput
	}{
		{"token from nowhere", &organizations.ListAccountsInput{NextToken: aws.String("bm90LWEtdG9rZW4")}},
		{"token past the end", &organizations.ListAccountsInput{NextToken: aws.String("dmVyZGljdC1wYWdlOjk5")}},
		{"MaxResults above 20", &organizations.ListAccountsInput{MaxResults: aws.Int32(21)}},
		{"MaxResults below 1", &organizations.ListAccountsInput{MaxResults: aws.Int32(-1)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ListAccounts(bg, tt.input)
			wantCode(t, err, "InvalidInputException")
		})
	}
}
