terraform {
  required_version = ">= 1.9"

  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 3.0"
    }
  }

  # Remote state: the state holds the secrets passed below, so it lives in an
  # encrypted, access-controlled S3-compatible bucket, one key per
  # environment. Partial configuration, completed at init time:
  #   terraform init -backend-config=bucket=... -backend-config=key=tweets/production.tfstate \
  #     -backend-config=region=... [-backend-config=endpoints={s3="https://..."}]
  # (the CI workflow does this from repository secrets). use_lockfile keeps
  # two applies from running at once.
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

# The production Docker host, reached over SSH (the deploy user must be in
# the docker group): ssh://deploy@tweets-prod.example.com
provider "docker" {
  host     = var.docker_host
  ssh_opts = ["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"]
}
