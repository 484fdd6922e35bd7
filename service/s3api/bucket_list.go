package s3api

import (
	"net/http"
	"sort"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("ListBuckets", listBuckets) }

// listBuckets implements ListBuckets: the caller's account's buckets.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
func listBuckets(q *request) {
	pr := q.Caller.Principal
	if pr.Type == authz.Anonymous {
		q.fail(awserr.AccessDenied())
		return
	}
	var out s3xml.ListAllMyBucketsResult
	err := q.view(func(tx store.Tx) error {
		if _, ok := q.authorize(tx, authCheck{action: "s3:ListAllMyBuckets", resource: "*"}); !ok {
			return errWritten
		}
		var list []model.Bucket
		err := store.ScanJSON(tx, state.Buckets, "", "", func(_ string, b model.Bucket) (bool, error) {
			if b.Owner == pr.Account {
				list = append(list, b)
			}
			return true, nil
		})
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		for _, b := range list {
			out.Buckets = append(out.Buckets, s3xml.Bucket{Name: b.Name, CreationDate: s3xml.NewTimestamp(b.Created), BucketRegion: b.Region})
		}
		return err
	})
	if q.done(err) {
		return
	}
	out.Owner = s3xml.Owner{ID: pr.CanonicalID, DisplayName: displayName(pr.Account)}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}
