variable "name_prefix" {
  description = "Prefix of every Docker object this module creates, e.g. \"tweets-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "network_name" {
  description = "Docker network of the application: Prometheus finds the replicas there by their alias \"web\"."
  type        = string
}

variable "images" {
  description = "Images of the monitoring components."
  type = object({
    prometheus        = string
    alertmanager      = string
    grafana           = string
    postgres_exporter = string
  })
  default = {
    prometheus        = "prom/prometheus:v2.55.1"
    alertmanager      = "prom/alertmanager:v0.28.1"
    grafana           = "grafana/grafana:11.6.1"
    postgres_exporter = "quay.io/prometheuscommunity/postgres-exporter:v0.17.1"
  }
}

variable "retention" {
  description = "How long Prometheus keeps samples (--storage.tsdb.retention.time)."
  type        = string
  default     = "15d"

  validation {
    condition     = can(regex("^[0-9]+[hdwy]$", var.retention))
    error_message = "retention must look like 15d, 2w or 720h."
  }
}

variable "database" {
  description = "PostgreSQL that postgres-exporter watches (the database module's connection output)."
  type = object({
    host = string
    port = number
    name = string
    user = string
  })
}

variable "database_password" {
  description = "Password for postgres-exporter (a read-only monitoring role is better than the application's owner)."
  type        = string
  sensitive   = true
}

variable "grafana_admin_password" {
  description = "Password of Grafana's admin user, at least 12 characters."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.grafana_admin_password) >= 12
    error_message = "grafana_admin_password must be at least 12 characters long."
  }
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL Alertmanager posts alerts to (deploy/monitoring/alertmanager.yml)."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^https://", var.slack_webhook_url))
    error_message = "slack_webhook_url must be an https:// URL."
  }
}

variable "ports" {
  description = "Host ports, bound to 127.0.0.1 only (reach them through an SSH tunnel)."
  type = object({
    prometheus   = number
    alertmanager = number
    grafana      = number
  })
  default = {
    prometheus   = 9090
    alertmanager = 9093
    grafana      = 3000
  }

  validation {
    condition     = alltrue([for p in values(var.ports) : p >= 1 && p <= 65535])
    error_message = "ports must be TCP ports (1-65535)."
  }
}
