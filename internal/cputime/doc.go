// Package cputime reads the CPU time the process has used, for benchmarks
// that report CPU per operation: steadier than throughput when other work
// shares the machine.
package cputime
