/**
 * The traits a JupyterHub profile's `kubespawner_override` may set, as data: KubeSpawner applies each key with
 * setattr (a dict is merged into the trait's value), so a key that is not a trait is silently ignored and the
 * setting never reaches the server pod.
 *
 * Source: jupyterhub/kubespawner 7.0.0 (the version zero-to-jupyterhub 4.4.0 installs, images/hub/requirements.txt),
 * kubespawner/spawner.py, the traits of class KubeSpawner (commit a8f28439078e42e8012de8f141b51bd6fa96d9c7); and
 * `environment`, a trait of JupyterHub's base Spawner (jupyterhub/spawner.py) that KubeSpawner inherits.
 */
export const KUBESPAWNER_TRAITS: readonly string[] = [
  'additional_profile_form_template_paths', 'after_pod_created_hook', 'allow_privilege_escalation', 'automount_service_account_token', 'cmd',
  'common_labels', 'component_label', 'container_security_context', 'delete_grace_period', 'delete_pvc', 'delete_stopped_pods',
  'dns_name_template', 'enable_user_namespaces', 'environment', 'events_enabled', 'extra_annotations', 'extra_container_config',
  'extra_containers', 'extra_labels', 'extra_pod_config', 'extra_resource_guarantees', 'extra_resource_limits', 'fs_gid', 'get_pod_url',
  'gid', 'handle_legacy_names', 'hub_connect_ip', 'hub_connect_port', 'image', 'image_pull_policy', 'image_pull_secrets', 'init_containers',
  'ip', 'lifecycle_hooks', 'modify_pod_hook', 'namespace', 'node_affinity_preferred', 'node_affinity_required', 'node_selector',
  'pod_affinity_preferred', 'pod_affinity_required', 'pod_anti_affinity_preferred', 'pod_anti_affinity_required', 'pod_connect_ip',
  'pod_name_template', 'pod_security_context', 'priority_class_name', 'privileged', 'profile_form_template', 'profile_list',
  'pvc_name_template', 'remember_pvc_name', 'scheduler_name', 'secret_mount_path', 'secret_name_template', 'service_account',
  'services_enabled', 'slug_scheme', 'storage_access_modes', 'storage_capacity', 'storage_class', 'storage_extra_annotations',
  'storage_extra_labels', 'storage_pvc_ensure', 'storage_selector', 'supplemental_gids', 'tolerations', 'uid', 'user_namespace_annotations',
  'user_namespace_labels', 'user_namespace_template', 'volume_mounts', 'volumes', 'working_dir',
];
