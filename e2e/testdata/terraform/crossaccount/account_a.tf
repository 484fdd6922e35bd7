# Account A: the reader, with an access key the test uses.

resource "aws_iam_user" "reader" {
  provider = aws.a
  name     = "reports-reader"
  path     = "/ci/"
}

resource "aws_iam_access_key" "reader" {
  provider = aws.a
  user     = aws_iam_user.reader.name
}

data "aws_iam_policy_document" "read_shared" {
  provider = aws.a
  statement {
    sid       = "ReadShared"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]
  }
  statement {
    sid       = "DecryptShared"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.shared.arn]
  }
}

resource "aws_iam_user_policy" "read_shared" {
  count    = var.grant_identity_policy ? 1 : 0
  provider = aws.a
  name     = "ReadShared"
  user     = aws_iam_user.reader.name
  policy   = data.aws_iam_policy_document.read_shared.json
}

output "reader_access_key_id" {
  value = aws_iam_access_key.reader.id
}

output "reader_secret_access_key" {
  value     = aws_iam_access_key.reader.secret
  sensitive = true
}

output "reader_name" {
  value = aws_iam_user.reader.name
}
