output "url" {
  description = "The site as nginx serves it on the host (behind a load balancer, use the public domain)."
  value       = module.load_balancer.url
}

output "web_containers" {
  description = "Application containers (docker logs NAME)."
  value       = module.web.container_names
}

output "image_id" {
  description = "ID of the application image running now."
  value       = module.web.image_id
}

output "database_container" {
  description = "PostgreSQL container, for backups (docs/disaster-recovery.md)."
  value       = module.database.container_name
}

output "monitoring" {
  description = "Monitoring UIs on the host's 127.0.0.1 (use an SSH tunnel)."
  value = {
    prometheus   = module.monitoring.prometheus_url
    alertmanager = module.monitoring.alertmanager_url
    grafana      = module.monitoring.grafana_url
  }
}
