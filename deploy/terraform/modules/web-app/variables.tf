variable "name_prefix" {
  description = "Prefix of every Docker object this module creates, e.g. \"tweets-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "image" {
  description = "Application image, ideally pinned by digest (ghcr.io/tweetsdev/tweets@sha256:...)."
  type        = string

  validation {
    condition     = length(trimspace(var.image)) > 0
    error_message = "image must not be empty."
  }
}

variable "replicas" {
  description = "Number of application containers behind the load balancer."
  type        = number
  default     = 2

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 10 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number from 1 to 10."
  }
}

variable "network_name" {
  description = "Docker network shared with the database, the cache and the load balancer."
  type        = string
}

variable "media_volume_name" {
  description = "Docker volume holding uploaded media, shared by every replica (read-write) and the load balancer (read-only)."
  type        = string
}

variable "secret_key" {
  description = "Session and CSRF signing key (TWEETS_SECRET_KEY), at least 32 characters. Uploaded as a file, never put in the environment."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.secret_key) >= 32
    error_message = "secret_key must be at least 32 characters long."
  }
}

variable "database" {
  description = "PostgreSQL connection (the database module's connection output)."
  type = object({
    host = string
    port = number
    name = string
    user = string
  })
}

variable "database_password" {
  description = "PostgreSQL password. Uploaded as a file (POSTGRES_PASSWORD_FILE), never put in the environment."
  type        = string
  sensitive   = true
}

variable "database_sslmode" {
  description = "POSTGRES_SSLMODE: verify-full (with a CA file through extra_env POSTGRES_SSLROOTCERT) for a database across a network; disable only on a private Docker network on the same host."
  type        = string
  default     = "verify-full"

  validation {
    condition     = contains(["disable", "require", "verify-ca", "verify-full"], var.database_sslmode)
    error_message = "database_sslmode must be disable, require, verify-ca or verify-full."
  }
}

variable "db_max_conns" {
  description = "TWEETS_DB_MAX_CONNS: connections per replica. replicas × (this + 1) + 2 must stay within the database's max_connections less 3 reserved; `tweets check --deploy` checks it against the server."
  type        = number
  default     = 8

  validation {
    condition     = var.db_max_conns >= 1 && var.db_max_conns <= 100 && floor(var.db_max_conns) == var.db_max_conns
    error_message = "db_max_conns must be a whole number from 1 to 100."
  }
}

variable "database_max_connections" {
  description = "The database's max_connections (the database module's max_connections output): the plan fails when the replicas' pools cannot fit in it."
  type        = number
  default     = 100
}

variable "publish_port_base" {
  description = "Publish replica N's main listener on 127.0.0.1:(this + N), for development and the engine test (0: not published; users go through the load balancer)."
  type        = number
  default     = 0

  validation {
    condition     = var.publish_port_base == 0 || (var.publish_port_base >= 1024 && var.publish_port_base <= 65525)
    error_message = "publish_port_base must be 0 (off) or a port from 1024 to 65525."
  }
}

variable "healthcheck_interval" {
  description = "How often Docker probes each replica's /readyz."
  type        = string
  default     = "15s"
}

variable "redis_url" {
  description = "Redis URL for the shared cache, e.g. redis://tweets-prod-redis:6379/0; empty disables it (in-process cache)."
  type        = string
  default     = ""

  validation {
    condition     = var.redis_url == "" || can(regex("^rediss?://", var.redis_url))
    error_message = "redis_url must be empty or start with redis:// or rediss://."
  }
}

variable "allowed_hosts" {
  description = "Host names the application answers for (TWEETS_ALLOWED_HOSTS)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_hosts) > 0
    error_message = "allowed_hosts must name at least one host."
  }
}

variable "trusted_proxies" {
  description = "CIDRs whose X-Forwarded-For is trusted (TWEETS_TRUSTED_PROXIES): the network of the load balancer."
  type        = list(string)

  validation {
    condition     = alltrue([for c in var.trusted_proxies : can(cidrhost(c, 0))])
    error_message = "trusted_proxies must be CIDRs such as 172.28.32.0/24."
  }
}

variable "cookie_secure" {
  description = "Mark cookies Secure (TWEETS_COOKIE_SECURE): true whenever users reach the site over HTTPS."
  type        = bool
  default     = true
}

variable "log_level" {
  description = "TWEETS_LOG_LEVEL."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be one of debug, info, warn, error."
  }
}

variable "demo" {
  description = "Keep the demo account (TWEETS_DEMO). Never in production."
  type        = bool
  default     = false
}

variable "memory_mb" {
  description = "Memory limit per replica in MiB. The TweetsHighMemory alert fires at 400 MiB (80% of 512)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 16384
    error_message = "memory_mb must be between 128 and 16384."
  }
}

variable "extra_env" {
  description = "Additional TWEETS_* settings, e.g. { TWEETS_MAX_IMAGE_PIXELS = \"40000000\" }. Never secrets: those have their own variables."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_env) : !can(regex("(?i)(password|secret|key)", k)) || endswith(k, "_FILE")])
    error_message = "extra_env must not carry secrets (names with PASSWORD, SECRET or KEY)."
  }
}

variable "media_s3" {
  description = "Keep media in an S3 bucket instead of media_volume_name (docs/media.md): the server's URL, the bucket (which must exist), and optionally its region, path-style addressing (most self-hosted servers) and a public URL that pages link images to (the files of suspended accounts then stay public). null: media on the volume."
  type = object({
    endpoint   = string
    bucket     = string
    region     = optional(string, "")
    path_style = optional(bool, false)
    public_url = optional(string, "")
  })
  default = null

  validation {
    condition     = var.media_s3 == null || can(regex("^https?://[^/?#@]+/?$", var.media_s3.endpoint))
    error_message = "media_s3.endpoint must be the server's http:// or https:// URL without a path, e.g. https://s3.eu-west-1.amazonaws.com."
  }

  validation {
    condition     = var.media_s3 == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.media_s3.bucket))
    error_message = "media_s3.bucket must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  }

  validation {
    condition     = var.media_s3 == null || can(regex("^([a-z0-9][a-z0-9-]*)?$", var.media_s3.region))
    error_message = "media_s3.region must be a region name such as eu-west-1, or empty."
  }

  validation {
    condition     = var.media_s3 == null || can(regex("^(https?://[^?#]+)?$", var.media_s3.public_url))
    error_message = "media_s3.public_url must be empty or an http(s) URL without query or fragment, e.g. https://media.example.com."
  }
}

variable "media_s3_access_key_id" {
  description = "Access key id of the media_s3 bucket. Uploaded as a file (TWEETS_S3_ACCESS_KEY_ID_FILE), never put in the environment."
  type        = string
  sensitive   = true
  default     = ""

  validation {
    condition     = var.media_s3 == null || length(var.media_s3_access_key_id) > 0
    error_message = "media_s3_access_key_id must be set when media_s3 is."
  }
}

variable "media_s3_secret_access_key" {
  description = "Secret access key of the media_s3 bucket. Uploaded as a file (TWEETS_S3_SECRET_ACCESS_KEY_FILE), never put in the environment."
  type        = string
  sensitive   = true
  default     = ""

  validation {
    condition     = var.media_s3 == null || length(var.media_s3_secret_access_key) > 0
    error_message = "media_s3_secret_access_key must be set when media_s3 is."
  }
}
