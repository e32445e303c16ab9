// /api-docs: Swagger UI over Cairn's own OpenAPI document; "Try it out" sends the browser's login cookie.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi?format=json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // sections start folded: with all of the 140-odd operations open at once, Swagger UI stops
    // rendering after the first few (Chromium 156, found by the browser test)
    docExpansion: "none",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    withCredentials: true
  });
});
