variable "name_prefix" {
  description = "Prefix of every Docker object this module creates, e.g. \"tweets-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "image" {
  description = "nginx image."
  type        = string
  default     = "nginx:1.27-alpine"
}

variable "network_name" {
  description = "Docker network shared with the application replicas."
  type        = string
}

variable "upstreams" {
  description = "host:port of every application replica (web-app's upstreams output); one upstream server line is rendered per entry."
  type        = list(string)

  validation {
    condition     = length(var.upstreams) >= 1 && alltrue([for u in var.upstreams : can(regex("^[A-Za-z0-9.-]+:[0-9]+$", u))])
    error_message = "upstreams must list at least one host:port."
  }
}

variable "upstream_ids" {
  description = "IDs of the application containers: when one changes (a replica was replaced and may have a new address), nginx is recreated so that it resolves the names again."
  type        = list(string)
  default     = []
}

variable "media_volume_name" {
  description = "Docker volume with the uploaded media, mounted read-only: nginx sends the files the replicas allow (X-Accel-Redirect to /_media/)."
  type        = string
}

variable "server_name" {
  description = "nginx server_name: the public host name, or _ for any."
  type        = string
  default     = "_"
}

variable "http_port" {
  description = "Host port for plain HTTP; 0 publishes no HTTP port (with TLS on, when nothing should reach the site unencrypted)."
  type        = number
  default     = 80

  validation {
    condition     = var.http_port >= 0 && var.http_port <= 65535
    error_message = "http_port must be 0 (off) or a TCP port."
  }
}

variable "https_port" {
  description = "Host port for HTTPS, used when tls_certificate is set."
  type        = number
  default     = 443

  validation {
    condition     = var.https_port >= 1 && var.https_port <= 65535
    error_message = "https_port must be a TCP port (1-65535)."
  }
}

variable "tls_certificate" {
  description = "PEM certificate chain for HTTPS in nginx; empty when TLS ends in front of nginx (cloud load balancer)."
  type        = string
  default     = ""

  validation {
    condition     = var.tls_certificate == "" || can(regex("-----BEGIN CERTIFICATE-----", var.tls_certificate))
    error_message = "tls_certificate must be empty or a PEM certificate."
  }
}

variable "tls_private_key" {
  description = "PEM private key of tls_certificate."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = (var.tls_private_key == "") == (var.tls_certificate == "")
    error_message = "Set tls_certificate and tls_private_key together."
  }
}

variable "bind_address" {
  description = "Host address the port is published on (0.0.0.0 for all, 127.0.0.1 behind another proxy)."
  type        = string
  default     = "0.0.0.0"

  validation {
    condition     = can(cidrhost("${var.bind_address}/32", 0))
    error_message = "bind_address must be an IPv4 address."
  }
}

variable "client_max_body_size" {
  description = "nginx client_max_body_size; keep it slightly above TWEETS_MAX_UPLOAD_BYTES (8 MiB)."
  type        = string
  default     = "10m"

  validation {
    condition     = can(regex("^[0-9]+[km]$", var.client_max_body_size))
    error_message = "client_max_body_size must look like 10m."
  }
}

variable "real_ip_from" {
  description = "CIDRs of a trusted load balancer in front of nginx, whose X-Forwarded-For is believed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.real_ip_from : can(cidrhost(c, 0))])
    error_message = "real_ip_from must be CIDRs."
  }
}
