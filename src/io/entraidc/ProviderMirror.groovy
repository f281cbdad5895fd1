package io.entraidc

/**
 * Agents without internet install the providers from a provider network mirror (the
 * Terraform/OpenTofu network mirror protocol, as Artifactory and Nexus serve it). The steps then
 * run Terraform with a CLI configuration of their own, in the work directory, that names the
 * mirror as the only installation method and keeps the agent's plugin cache
 * (developer.hashicorp.com/terraform/cli/config/config-file, "provider_installation",
 * "network_mirror"; "plugin_cache_dir" is set through TF_PLUGIN_CACHE_DIR).
 */
class ProviderMirror implements Serializable {
    static final String CLI_CONFIG = 'terraform-cli.tfrc'

    static void writeCliConfig(def steps, String workDir, String url) {
        if (!url) {
            return
        }
        if (!url.startsWith('https://')) {
            steps.error("ENTRAIDC_PROVIDER_MIRROR must be an https:// URL (the provider network mirror protocol requires HTTPS), not '${url}': fix the agent's variable")
        }
        String base = url.endsWith('/') ? url : "${url}/"
        steps.writeFile(file: "${workDir}/${CLI_CONFIG}",
                text: "# Written by entra-idc: providers only from the network mirror.\n" +
                        "provider_installation {\n  network_mirror {\n    url = \"${base}\"\n  }\n}\n")
    }

    /** TF_CLI_CONFIG_FILE for the mirror's CLI configuration; nothing without a mirror. */
    static List<String> environment(def steps, String workDir, String url) {
        return url ? ["TF_CLI_CONFIG_FILE=${steps.pwd()}/${workDir}/${CLI_CONFIG}".toString()] : []
    }
}
