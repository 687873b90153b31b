// A package inside the Terraform provider's module path, so that it may import the provider's internal/provider
// package and hand the provider to the bridge. Nothing else.
module github.com/terraform-providers/terraform-provider-docker/shim

go 1.25.8

require (
	github.com/hashicorp/terraform-plugin-sdk/v2 v2.0.0
	github.com/terraform-providers/terraform-provider-docker v0.0.0
)
