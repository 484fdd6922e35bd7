package s3api

import (
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

func init() { register("ListObjectVersions", listObjectVersions) }

// versionsQuery is what a ListObjectVersions request asks.
type versionsQuery struct {
	prefix, delimiter    string
	keyMarker, vidMarker string
	hasVidMarker         bool
	askedMax, max        int
	encode               bool
}

// readVersionsQuery parses the query parameters and returns the condition
// keys they supply (s3:prefix, s3:delimiter, s3:max-keys, each only when
// sent). A version-id-marker needs a key-marker.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html#API_ListObjectVersions_RequestSyntax
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
func readVersionsQuery(q *request) (*versionsQuery, condition.Map, error) {
	v := q.query
	l := &versionsQuery{prefix: v.Get("prefix"), delimiter: v.Get("delimiter"), keyMarker: v.Get("key-marker"),
		vidMarker: v.Get("version-id-marker"), hasVidMarker: v.Has("version-id-marker")}
	var e *awserr.Error
	if l.askedMax, l.max, e = parseMaxArg(v.Get("max-keys"), v.Has("max-keys"), "maxKeys"); e != nil {
		return nil, nil, e
	}
	enc, err := s3xml.ParseEncodingType(v.Get("encoding-type"))
	if err != nil {
		return nil, nil, err
	}
	l.encode = enc
	if l.hasVidMarker {
		if l.keyMarker == "" {
			return nil, nil, awserr.InvalidArgument("A version-id marker cannot be specified without a key marker.").
				With("ArgumentName", "version-id-marker").With("ArgumentValue", l.vidMarker)
		}
		if !wellFormedVersionID(l.vidMarker) {
			return nil, nil, awserr.InvalidArgument("Invalid version id specified").
				With("ArgumentName", "version-id-marker").With("ArgumentValue", l.vidMarker)
		}
	}
	ctx := condition.Map{}
	for _, p := range []struct{ param, key string }{{"prefix", "s3:prefix"}, {"delimiter", "s3:delimiter"}, {"max-keys", "s3:max-keys"}} {
		if v.Has(p.param) {
			ctx[p.key] = []string{v.Get(p.param)}
		}
	}
	return l, ctx, nil
}

// scanObjects yields the records of table under prefix, after after.
func scanObjects(tx store.Tx, table, prefix, after string) iter.Seq2[*model.Object, error] {
	return func(yield func(*model.Object, error) bool) {
		stopped := false
		err := store.ScanJSON(tx, table, prefix, after, func(_ string, o model.Object) (bool, error) {
			if !yield(&o, nil) {
				stopped = true
				return false, nil
			}
			return true, nil
		})
		if err != nil && !stopped {
			yield(nil, err)
		}
	}
}

// versionEntry is one listed version and whether it is the latest.
type versionEntry struct {
	o      *model.Object
	latest bool
}

// listObjectVersions implements ListObjectVersions (s3:ListBucketVersions):
// every version and delete marker, by key and, within a key, newest first
// with IsLatest on the current one; keys with the delimiter after the
// prefix roll up into CommonPrefixes; a page ends after max-keys entries
// (versions, markers and prefixes), resumed from NextKeyMarker and
// NextVersionIdMarker. The records come from a merge of state.Objects
// (current objects) and state.Versions (see state.VersionKey).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/list-obj-version-enabled-bucket.html
func listObjectVersions(q *request) {
	l, ctx, err := readVersionsQuery(q)
	if q.done(err) {
		return
	}
	var entries []versionEntry
	var prefixes []string
	var truncated bool
	var nextKey, nextVid string
	err = q.view(func(tx store.Tx) error {
		b, err := q.bucketFor(tx, q.bucket, "x-amz-expected-bucket-owner")
		if err != nil {
			return err
		}
		if _, ok := q.authorize(tx, authCheck{action: "s3:ListBucketVersions", resource: bucketARN(b.Name), bucket: b, ctx: ctx}); !ok {
			return errWritten
		}
		base := b.Name + "/"
		objAfter, verAfter := "", ""
		if l.keyMarker != "" {
			objAfter = base + l.keyMarker
			verAfter = state.VersionPrefix(b.Name, l.keyMarker) + "\xff"
			if l.hasVidMarker {
				if verAfter, err = versionMarkerAfter(tx, b.Name, l.keyMarker, l.vidMarker); err != nil {
					return err
				}
			}
		}
		skipPrefix := ""
		if l.delimiter != "" && strings.HasPrefix(l.keyMarker, l.prefix) && strings.HasSuffix(l.keyMarker, l.delimiter) &&
			strings.Index(l.keyMarker[len(l.prefix):], l.delimiter) == len(l.keyMarker)-len(l.prefix)-len(l.delimiter) {
			// The previous page ended with this common prefix.
			skipPrefix = l.keyMarker
		}
		nextO, stopO := iter.Pull2(scanObjects(tx, state.Objects, base+l.prefix, objAfter))
		defer stopO()
		nextV, stopV := iter.Pull2(scanObjects(tx, state.Versions, base+l.prefix, verAfter))
		defer stopV()
		pull := func(next func() (*model.Object, error, bool)) (*model.Object, error) {
			o, err, ok := next()
			if !ok {
				return nil, nil
			}
			return o, err
		}
		curO, err := pull(nextO)
		if err != nil {
			return err
		}
		curV, err := pull(nextV)
		if err != nil {
			return err
		}
		count, lastCP := 0, ""
		for l.max > 0 && (curO != nil || curV != nil) {
			key := ""
			switch {
			case curO == nil:
				key = curV.Key
			case curV == nil || curO.Key <= curV.Key:
				key = curO.Key
			default:
				key = curV.Key
			}
			// The key's versions, newest first.
			var vs []versionEntry
			if curO != nil && curO.Key == key {
				vs = append(vs, versionEntry{o: curO, latest: true})
				if curO, err = pull(nextO); err != nil {
					return err
				}
			}
			for curV != nil && curV.Key == key {
				latest := len(vs) == 0 && !(l.hasVidMarker && key == l.keyMarker)
				vs = append(vs, versionEntry{o: curV, latest: latest})
				if curV, err = pull(nextV); err != nil {
					return err
				}
			}
			if !strings.HasPrefix(key, l.prefix) || (skipPrefix != "" && strings.HasPrefix(key, skipPrefix)) {
				continue
			}
			if l.delimiter != "" {
				if i := strings.Index(key[len(l.prefix):], l.delimiter); i >= 0 {
					cp := key[:len(l.prefix)+i+len(l.delimiter)]
					if cp != lastCP {
						if count == l.max {
							truncated = true
							break
						}
						prefixes = append(prefixes, cp)
						nextKey, nextVid = cp, ""
						lastCP = cp
						count++
					}
					continue
				}
			}
			for _, v := range vs {
				if count == l.max {
					truncated = true
					break
				}
				entries = append(entries, v)
				nextKey, nextVid = key, versionIDOf(v.o)
				count++
			}
			if truncated {
				break
			}
		}
		return nil
	})
	if q.done(err) {
		return
	}
	out := s3xml.ListVersionsResult{Name: q.bucket, Prefix: l.prefix, KeyMarker: l.keyMarker, VersionIDMarker: l.vidMarker,
		MaxKeys: l.askedMax, Delimiter: l.delimiter, IsTruncated: truncated}
	if truncated {
		out.NextKeyMarker, out.NextVersionIDMarker = nextKey, nextVid
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, versionListEntry(e))
	}
	for _, p := range prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, s3xml.CommonPrefix{Prefix: p})
	}
	if l.encode {
		out.EncodeURL()
	}
	_ = s3xml.Write(q.w, http.StatusOK, &out)
}

// versionMarkerAfter is the state.Versions key a page resumed at
// (key-marker, version-id-marker) starts after: the marker version's own
// record key, so that only older versions of the key follow. The null
// version's position is found from its record; when it is the current
// object (or gone) the page resumes with all of the key's records in
// state.Versions, which are older.
func versionMarkerAfter(tx store.Tx, bucket, key, vid string) (string, error) {
	if vid != nullVersion {
		return state.VersionPrefix(bucket, key) + vid[:16] + vid, nil
	}
	o, current, err := findVersion(tx, bucket, key, vid)
	if err != nil {
		return "", err
	}
	if o == nil || current {
		return state.ObjectKey(bucket, key), nil
	}
	return state.VersionKey(bucket, key, o.LastModified, o.VersionID), nil
}

// versionListEntry is the Version or DeleteMarker element of e.
func versionListEntry(e versionEntry) s3xml.VersionEntry {
	o := e.o
	ow := ownerOf(o.Owner)
	v := s3xml.VersionEntry{XMLName: s3xml.VersionElement(o.DeleteMarker), Key: o.Key, VersionID: versionIDOf(o),
		IsLatest: e.latest, LastModified: s3xml.NewTimestamp(o.LastModified), Owner: &s3xml.Owner{ID: ow.ID, DisplayName: ow.DisplayName}}
	if o.DeleteMarker {
		return v
	}
	size := o.Size
	v.ETag, v.Size, v.StorageClass = o.ETag, &size, storageClass(o)
	for a := range o.Checksums {
		v.ChecksumAlgorithm = append(v.ChecksumAlgorithm, a)
	}
	slices.Sort(v.ChecksumAlgorithm)
	if len(o.Checksums) > 0 {
		v.ChecksumType = o.ChecksumType
	}
	return v
}
