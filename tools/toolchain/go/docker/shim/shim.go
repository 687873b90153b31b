// Package shim exposes the Terraform docker provider's SDKv2 half (container, image, network, volume and the
// rest of its resources) to the bridge. Go lets a module import another module's internal/ packages only from
// inside that module's path, hence this module's name.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the Terraform provider; version is what it reports in its user agent.
func NewProvider(version string) *schema.Provider { return provider.New(version)() }
