variable "docker_host" {
  description = "Docker engine to apply to, e.g. unix:///var/run/docker.sock."
  type        = string
  default     = "unix:///var/run/docker.sock"
}

variable "name_prefix" {
  description = "Prefix of every Docker object."
  type        = string
  default     = "tweets-local"
}

variable "image" {
  description = "Application image, built locally (tweets:local)."
  type        = string
  default     = "tweets:local"
}

variable "postgres_image" {
  description = "PostgreSQL 15 image: postgres:15, or the local stand-in tweets-local/postgres:15-debian that scripts/engine-test.sh builds."
  type        = string
  default     = "postgres:15"
}

variable "replicas" {
  description = "Number of application containers."
  type        = number
  default     = 2
}

variable "network_subnet" {
  description = "Subnet of the Docker network."
  type        = string
  default     = "172.28.96.0/24"
}

variable "publish_port_base" {
  description = "Replica N is published on 127.0.0.1:(this + N)."
  type        = number
  default     = 18000
}

variable "allowed_hosts" {
  description = "TWEETS_ALLOWED_HOSTS; the health check sends the first as Host."
  type        = list(string)
  default     = ["localhost", "127.0.0.1"]
}

variable "cookie_secure" {
  description = "TWEETS_COOKIE_SECURE: false for plain HTTP on localhost."
  type        = bool
  default     = false
}

variable "demo" {
  description = "Create the demo account (TWEETS_DEMO)."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Database the application uses; empty: the one the database module creates. Another name makes the migration fail."
  type        = string
  default     = ""
}

variable "secret_key" {
  description = "TWEETS_SECRET_KEY (32+ characters)."
  type        = string
  sensitive   = true
}

variable "postgres_password" {
  description = "PostgreSQL password (16+ characters)."
  type        = string
  sensitive   = true
}
