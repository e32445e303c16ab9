// /api-docs: Swagger UI over Cairn's own OpenAPI document; "Try it out" sends the browser's login cookie.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi?format=json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    withCredentials: true
  });
});
