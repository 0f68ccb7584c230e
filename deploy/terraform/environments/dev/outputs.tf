output "url" {
  description = "The site, through nginx."
  value       = module.load_balancer.url
}

output "web_containers" {
  description = "Application containers (docker logs NAME)."
  value       = module.web.container_names
}

output "database_container" {
  description = "PostgreSQL container; also published on 127.0.0.1:5432."
  value       = module.database.container_name
}

output "grafana_url" {
  description = "Grafana, when enable_monitoring is true."
  value       = var.enable_monitoring ? module.monitoring[0].grafana_url : null
}
