/**
 * Build progress on the terminal: a {@link dev.jbuild.cli.progress.ProgressRenderer} turns the builder's events
 * into lines for CI logs ({@link dev.jbuild.cli.progress.PlainRenderer}), one JSON object per event ({@link
 * dev.jbuild.cli.progress.JsonRenderer}), or a live view that rewrites a finished step's line in place ({@link
 * dev.jbuild.cli.progress.TtyRenderer}). Renderers are called from the builder's threads and synchronise.
 */
package dev.jbuild.cli.progress;
