terraform {
  required_version = ">= 1.9"

  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 3.0"
    }
  }

  # Local state (terraform.tfstate, git-ignored; the engine test keeps it
  # in a temporary directory). It contains the secrets: do not share it.
}

provider "docker" {
  host = var.docker_host
}
