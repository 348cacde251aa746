"""aimodel-infra: one typed spec for GPU training and serving environments on AWS, GCP and Azure."""
