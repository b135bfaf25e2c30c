/**
 * The overlayfs root filesystem of a container or build step: snapshot directories as lower layers
 * and a fresh upper/work pair, mounted with options that keep the upper directory a self-contained
 * diff ({@link dev.jbuild.runtime.overlay.OverlayOptions}).
 *
 * <p>Invariant: an {@link dev.jbuild.runtime.overlay.OverlayMount} is unmounted exactly once, however
 * often it is closed.
 */
package dev.jbuild.runtime.overlay;
