output "url" {
  description = "TWEETS_REDIS_URL for the application."
  value       = "redis://${docker_container.redis.name}:6379/0"
}

output "container_name" {
  description = "Name of the Redis container."
  value       = docker_container.redis.name
}
