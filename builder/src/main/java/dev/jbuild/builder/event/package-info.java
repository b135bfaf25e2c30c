/**
 * What a build reports while it runs: a sealed set of events ({@link dev.jbuild.builder.event.BuildEvent}) sent to
 * one {@link dev.jbuild.builder.event.BuildListener}. Events of one step arrive in order (started, output or
 * cached, finished); steps of stages built in parallel interleave, so listeners must be thread-safe.
 */
package dev.jbuild.builder.event;
