# Account B: the owner of the bucket, its key and its object.

data "aws_iam_policy_document" "key" {
  provider = aws.b
  statement {
    sid       = "OwnerAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.b.account_id}:root"]
    }
  }
  statement {
    sid       = "ReaderDecrypts"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_user.reader.arn]
    }
  }
}

resource "aws_kms_key" "shared" {
  provider                = aws.b
  description             = "Encrypts the shared reports"
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "shared" {
  provider      = aws.b
  name          = "alias/shared-reports"
  target_key_id = aws_kms_key.shared.key_id
}

resource "aws_s3_bucket" "shared" {
  provider      = aws.b
  bucket        = var.bucket
  force_destroy = true
}

# Versioning keeps every version of the shared reports; force_destroy on
# the bucket deletes the versions and delete markers too.
resource "aws_s3_bucket_versioning" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_ownership_controls" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "shared" {
  provider                = aws.b
  bucket                  = aws_s3_bucket.shared.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.shared.arn
    }
    bucket_key_enabled = true
  }
}

# Configurations verdict stores and returns without acting on them.
resource "aws_s3_bucket_cors_configuration" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  cors_rule {
    allowed_headers = ["*"]
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://reports.example.com"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  rule {
    id     = "archive-old-reports"
    status = "Enabled"
    filter {
      prefix = "reports/"
    }
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
    expiration {
      days = 365
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  provider = aws.b
  statement {
    sid       = "ReaderGets"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_user.reader.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "shared" {
  provider = aws.b
  bucket   = aws_s3_bucket.shared.id
  policy   = data.aws_iam_policy_document.bucket.json
  # S3 serialises a bucket's configuration changes; applying the policy
  # after Block Public Access keeps the two PUTs from racing.
  depends_on = [aws_s3_bucket_public_access_block.shared]
}

resource "aws_s3_object" "report" {
  provider     = aws.b
  bucket       = aws_s3_bucket.shared.id
  key          = "q1.csv"
  content      = "q1,42\n"
  content_type = "text/csv"
  # Written once versioning is on, so that it is a version (and destroy
  # deletes it by version ID).
  depends_on = [aws_s3_bucket_server_side_encryption_configuration.shared, aws_s3_bucket_versioning.shared]
}

output "bucket" {
  value = aws_s3_bucket.shared.id
}

output "kms_key_arn" {
  value = aws_kms_key.shared.arn
}
