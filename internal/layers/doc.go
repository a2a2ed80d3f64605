// Package layers holds the test that keeps heaptrace's packages in their
// one-way layers (see TestLayers). It has no code.
package layers
