"""Software inside the cluster, so that GPU pods schedule and pools scale from zero after `pulumi up`.

:mod:`.plan` (SDK-free) says what to install: pinned Helm charts with explicit values, the
``aimodel`` namespace and one annotated service account per workload, and a storage class where
the cloud has no encrypted default. Each cloud's builder asks for exactly what its platform lacks
(EKS: device plugin, cluster-autoscaler, gp3 storage class; AKS: device plugin; GKE: nothing but
the namespace and service accounts) and :class:`.component.InClusterSoftware` installs it through
a Kubernetes provider built from the cluster's kubeconfig.
"""
