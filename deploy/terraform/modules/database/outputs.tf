output "connection" {
  description = "Where the application connects: host and port on the shared network, database and user (the password is the input variable)."
  value = {
    host = docker_container.postgres.name
    port = 5432
    name = var.database_name
    user = var.user
  }
}

output "container_name" {
  description = "Name of the PostgreSQL container (for docker exec, pg_dump)."
  value       = docker_container.postgres.name
}

output "volume_name" {
  description = "Name of the data volume (protected from terraform destroy)."
  value       = docker_volume.data.name
}

output "max_connections" {
  description = "PostgreSQL's max_connections, for sizing the application's pools."
  value       = var.max_connections
}
