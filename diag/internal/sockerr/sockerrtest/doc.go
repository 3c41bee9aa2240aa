// Package sockerrtest makes real local socket failures for tests.
package sockerrtest
