output "replica_urls" {
  description = "Each replica's main listener, published on 127.0.0.1."
  value       = [for i in range(var.replicas) : "http://127.0.0.1:${var.publish_port_base + i}"]
}

output "container_names" {
  description = "The replicas' container names."
  value       = module.web.container_names
}

output "database_volume" {
  description = "The PostgreSQL volume, protected from destroy: remove it with docker volume rm."
  value       = module.database.volume_name
}
