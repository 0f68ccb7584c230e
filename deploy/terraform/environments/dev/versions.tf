terraform {
  required_version = ">= 1.9"

  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 3.0"
    }
  }

  # Development state stays on the developer's machine (terraform.tfstate,
  # git-ignored). It contains the secrets below: do not share it.
}

provider "docker" {
  host = var.docker_host
}
