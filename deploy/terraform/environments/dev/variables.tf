variable "docker_host" {
  description = "Docker daemon to deploy to."
  type        = string
  default     = "unix:///var/run/docker.sock"
}

variable "image" {
  description = "Application image; by default the one built locally with `docker build -t tweets:dev .`."
  type        = string
  default     = "tweets:dev"
}

variable "replicas" {
  description = "Number of application containers (1-10)."
  type        = number
  default     = 1

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 10
    error_message = "replicas must be from 1 to 10."
  }
}

variable "http_port" {
  description = "Port on 127.0.0.1 where nginx answers."
  type        = number
  default     = 8080

  validation {
    condition     = var.http_port >= 1024 && var.http_port <= 65535
    error_message = "http_port must be an unprivileged TCP port (1024-65535)."
  }
}

variable "network_subnet" {
  description = "Subnet of the environment's Docker network; the application trusts X-Forwarded-For from it (nginx)."
  type        = string
  default     = "172.28.48.0/24"

  validation {
    condition     = can(cidrhost(var.network_subnet, 0))
    error_message = "network_subnet must be a CIDR."
  }
}

variable "enable_monitoring" {
  description = "Also run Prometheus, Alertmanager, Grafana and postgres-exporter."
  type        = bool
  default     = false
}

variable "secret_key" {
  description = "TWEETS_SECRET_KEY (32+ characters), e.g. TF_VAR_secret_key=$(cat secrets/tweets_secret_key.txt)."
  type        = string
  sensitive   = true
}

variable "postgres_password" {
  description = "PostgreSQL password (16+ characters), e.g. TF_VAR_postgres_password=$(cat secrets/postgres_password.txt)."
  type        = string
  sensitive   = true
}

variable "grafana_admin_password" {
  description = "Grafana admin password (12+ characters); only used with enable_monitoring."
  type        = string
  sensitive   = true
  default     = "change-me-dev-only"
}

variable "slack_webhook_url" {
  description = "Slack webhook for Alertmanager; only used with enable_monitoring. The default goes nowhere."
  type        = string
  sensitive   = true
  default     = "https://hooks.slack.invalid/dev"
}
