# Non-secret settings of production; secrets come from TF_VAR_* (CI secrets).
#   terraform plan -var-file=production.tfvars -var image=ghcr.io/tweetsdev/tweets@sha256:...
environment         = "production"
docker_host         = "ssh://deploy@tweets-prod.example.com"
domain              = "tweets.example.com"
replicas            = 3
load_balancer_cidrs = ["10.0.0.0/16"]
