output "container_names" {
  description = "Names of the application containers, one per replica."
  value       = docker_container.web[*].name
}

output "container_ids" {
  description = "IDs of the application containers (they change whenever a replica is replaced)."
  value       = docker_container.web[*].id
}

output "upstreams" {
  description = "host:port of each replica's main listener, for the load balancer."
  value       = [for c in docker_container.web : "${c.name}:8000"]
}

output "metrics_targets" {
  description = "host:port of each replica's admin listener (/metrics), for Prometheus."
  value       = [for c in docker_container.web : "${c.name}:9000"]
}

output "image_id" {
  description = "ID of the application image that is running."
  value       = docker_image.app.image_id
}

output "environment" {
  description = "The replicas' environment (KEY=value, no secrets: those are files)."
  value       = local.env
}
