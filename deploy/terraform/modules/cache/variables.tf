variable "name_prefix" {
  description = "Prefix of every Docker object this module creates, e.g. \"tweets-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "image" {
  description = "Redis image."
  type        = string
  default     = "redis:7-alpine"
}

variable "network_name" {
  description = "Docker network the application reaches the cache on."
  type        = string
}

variable "max_memory" {
  description = "Redis maxmemory (e.g. 256mb, 1gb): least-recently-used keys are evicted beyond it."
  type        = string
  default     = "256mb"

  validation {
    condition     = can(regex("^[0-9]+(kb|mb|gb)$", var.max_memory))
    error_message = "max_memory must look like 256mb or 1gb."
  }
}
