# The cross-account read scenario as a platform team writes it: account B
# owns a KMS-encrypted bucket whose policy grants a user of account A, and
# account A gives that user an identity policy allowing s3:GetObject.
# e2e/terraform_test.go applies it against a running verdict.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "endpoint" {
  description = "verdict's endpoint, http://127.0.0.1:PORT"
  type        = string
}

variable "bucket" {
  description = "Name of account B's bucket."
  type        = string
  default     = "tf-shared-reports"
}

variable "grant_identity_policy" {
  description = "Whether account A's user has an identity policy allowing s3:GetObject on the bucket."
  type        = bool
  default     = true
}

# verdict's root users: the access key ID is the account ID and the secret
# is verdict serve's --root-secret, "test" by default.
locals {
  account_a = "111111111111"
  account_b = "222222222222"
  tags = {
    team       = "platform"
    managed-by = "terraform"
  }
}

provider "aws" {
  alias      = "a"
  region     = "us-east-1"
  access_key = local.account_a
  secret_key = "test"

  s3_use_path_style       = true
  skip_metadata_api_check = true
  skip_region_validation  = true

  default_tags {
    tags = local.tags
  }

  endpoints {
    s3  = var.endpoint
    iam = var.endpoint
    sts = var.endpoint
    kms = var.endpoint
  }
}

provider "aws" {
  alias      = "b"
  region     = "us-east-1"
  access_key = local.account_b
  secret_key = "test"

  s3_use_path_style       = true
  skip_metadata_api_check = true
  skip_region_validation  = true

  default_tags {
    tags = local.tags
  }

  endpoints {
    s3  = var.endpoint
    iam = var.endpoint
    sts = var.endpoint
    kms = var.endpoint
  }
}

# The accounts as STS reports them: the provider's GetCallerIdentity must
# name the account each root key belongs to.
data "aws_caller_identity" "a" {
  provider = aws.a
}

data "aws_caller_identity" "b" {
  provider = aws.b
}

output "account_a" {
  value = data.aws_caller_identity.a.account_id
}

output "account_b" {
  value = data.aws_caller_identity.b.account_id
}
