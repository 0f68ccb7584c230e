# Non-secret settings of staging; secrets come from TF_VAR_* (CI secrets).
#   terraform plan -var-file=staging.tfvars -var image=ghcr.io/tweetsdev/tweets@sha256:...
environment = "staging"
docker_host = "ssh://deploy@tweets-staging.example.com"
domain      = "staging.tweets.example.com"
replicas    = 2
