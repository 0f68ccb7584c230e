variable "environment" {
  description = "Which production-like environment this is: staging or production (same topology, different host, state key and sizes)."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "docker_host" {
  description = "Docker daemon of the environment's host, e.g. ssh://deploy@tweets-prod.example.com."
  type        = string

  validation {
    condition     = can(regex("^(ssh|tcp|unix)://", var.docker_host))
    error_message = "docker_host must be an ssh://, tcp:// or unix:// address."
  }
}

variable "image" {
  description = "Application image pinned by digest (ghcr.io/tweetsdev/tweets@sha256:...), as built by CI."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest (...@sha256:<64 hex>) so that staging and production run the same bits."
  }
}

variable "replicas" {
  description = "Number of application containers (1-10)."
  type        = number
  default     = 3

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 10
    error_message = "replicas must be from 1 to 10."
  }
}

variable "domain" {
  description = "Public host name of the site, e.g. tweets.example.com."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", var.domain))
    error_message = "domain must be a lower-case host name."
  }
}

variable "network_subnet" {
  description = "Subnet of the environment's Docker network; the application trusts X-Forwarded-For from it (nginx)."
  type        = string
  default     = "172.28.64.0/24"

  validation {
    condition     = can(cidrhost(var.network_subnet, 0))
    error_message = "network_subnet must be a CIDR."
  }
}

variable "load_balancer_cidrs" {
  description = "CIDRs of a cloud load balancer in front of nginx (it terminates TLS); empty when nginx terminates TLS itself."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.load_balancer_cidrs : can(cidrhost(c, 0))])
    error_message = "load_balancer_cidrs must be CIDRs."
  }
}

variable "tls_certificate" {
  description = "PEM certificate chain when nginx terminates TLS; empty behind a TLS-terminating load balancer."
  type        = string
  default     = ""
}

variable "tls_private_key" {
  description = "PEM private key of tls_certificate."
  type        = string
  default     = ""
  sensitive   = true
}

variable "secret_key" {
  description = "TWEETS_SECRET_KEY (32+ random characters). From the CI secret TWEETS_SECRET_KEY via TF_VAR_secret_key."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.secret_key) >= 32
    error_message = "secret_key must be at least 32 characters long (openssl rand -base64 48)."
  }
}

variable "postgres_password" {
  description = "PostgreSQL password (16+ characters). From the CI secret via TF_VAR_postgres_password."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.postgres_password) >= 16
    error_message = "postgres_password must be at least 16 characters long."
  }
}

variable "grafana_admin_password" {
  description = "Grafana admin password (12+ characters)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.grafana_admin_password) >= 12
    error_message = "grafana_admin_password must be at least 12 characters long."
  }
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL for Alertmanager."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^https://[^/]+/", var.slack_webhook_url))
    error_message = "slack_webhook_url must be an https:// webhook URL (Slack: https://hooks.slack.com/services/...)."
  }
}
