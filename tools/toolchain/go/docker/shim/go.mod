// Our stand-in for pulumi-docker's patch 0001: a package inside the Terraform provider's module path, so it
// may import that module's internal/provider package and hand the provider to the bridge.
module github.com/terraform-providers/terraform-provider-docker/shim

go 1.25.8

require (
	github.com/hashicorp/terraform-plugin-sdk/v2 v2.0.0
	github.com/terraform-providers/terraform-provider-docker v0.0.0
)
