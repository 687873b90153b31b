// Package shim exposes the Terraform docker provider to pulumi-docker's bridge.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the Terraform provider that pulumi-docker bridges.
func NewProvider() *schema.Provider { return provider.New("dev")() }
