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

# A role for EC2 instances and the instance profile that passes it to them,
# as configurations that run report jobs on EC2 declare.

data "aws_iam_policy_document" "ec2_trust" {
  provider = aws.a
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "report_job" {
  provider           = aws.a
  name               = "report-job"
  path               = "/ci/"
  assume_role_policy = data.aws_iam_policy_document.ec2_trust.json
}

resource "aws_iam_instance_profile" "report_job" {
  provider = aws.a
  name     = "report-job"
  path     = "/ci/"
  role     = aws_iam_role.report_job.name
  tags = {
    team = "reports"
  }
}

# A console password for the reader; the provider generates it.
resource "aws_iam_user_login_profile" "reader" {
  provider                = aws.a
  user                    = aws_iam_user.reader.name
  password_reset_required = true
}

output "report_job_instance_profile_arn" {
  value = aws_iam_instance_profile.report_job.arn
}
