//go:build tools

// Package tools records the main packages this wrapper module builds, so that `go mod tidy` keeps their
// dependencies in go.mod and go.sum. The Node.js language host
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) belongs here too, once the module
// proxy serves it; see docs/toolchain.md.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
