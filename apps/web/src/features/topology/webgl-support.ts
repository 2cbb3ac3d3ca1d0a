/**
 * Whether the browser draws WebGL on a GPU. Software GL (SwiftShader, llvmpipe — a machine or VM
 * without a GPU, or with acceleration off) renders cytoscape's WebGL layer slower than the 2D
 * canvas: bench/graph measured a 2,000-edge update at ~450 ms with SwiftShader against ~160 ms on
 * the 2D canvas, on the same 2 cores. So WebGL is used only where it is hardware-accelerated.
 */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** A WebGL renderer name (`UNMASKED_RENDERER_WEBGL`) that is software rendering. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

/** True when a WebGL2 context can be made and its renderer is not software. Frees the probe context. */
export function webglAccelerated(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !isSoftwareRenderer(renderer);
  } catch {
    return false;
  }
}
