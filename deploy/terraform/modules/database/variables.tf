variable "name_prefix" {
  description = "Prefix of every Docker object this module creates, e.g. \"tweets-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "image" {
  description = "PostgreSQL image. The application is tested against PostgreSQL 15."
  type        = string
  default     = "postgres:15"

  validation {
    condition     = can(regex("(^|/)postgres:15", var.image))
    error_message = "image must be a PostgreSQL 15 image (postgres:15..., or a mirror's .../postgres:15...); upgrading the major version needs a dump and restore, see docs/disaster-recovery.md."
  }
}

variable "network_name" {
  description = "Docker network the application reaches the database on."
  type        = string
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "tweets"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a plain lower-case PostgreSQL identifier."
  }
}

variable "user" {
  description = "Owner of the application database."
  type        = string
  default     = "tweets"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.user))
    error_message = "user must be a plain lower-case PostgreSQL identifier."
  }
}

variable "password" {
  description = "Password of the database user, at least 16 characters. Uploaded as a file (POSTGRES_PASSWORD_FILE)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.password) >= 16
    error_message = "password must be at least 16 characters long."
  }
}

variable "memory_mb" {
  description = "Memory limit of the PostgreSQL container in MiB."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_mb >= 256
    error_message = "memory_mb must be at least 256."
  }
}

variable "publish_port" {
  description = "Publish PostgreSQL on this host port, bound to 127.0.0.1 (0: not published). For development only."
  type        = number
  default     = 0

  validation {
    condition     = var.publish_port >= 0 && var.publish_port <= 65535
    error_message = "publish_port must be 0 (off) or a TCP port."
  }
}

variable "max_connections" {
  description = "PostgreSQL's max_connections. The replicas' pools (replicas × (TWEETS_DB_MAX_CONNS + 1)), the migrate job and a maintenance session must fit in it less 3 reserved."
  type        = number
  default     = 100

  validation {
    condition     = var.max_connections >= 20 && var.max_connections <= 1000
    error_message = "max_connections must be between 20 and 1000."
  }
}
