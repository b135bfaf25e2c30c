/**
 * The values a build passes from step to step: {@link dev.jbuild.builder.step.ImageState} (config, layers and the
 * cache key of the chain so far). Steps never change a state; they return a new one, so a cache hit and a
 * fresh run go through the same code ({@link dev.jbuild.builder.step.ImageState#apply}).
 */
package dev.jbuild.builder.step;
