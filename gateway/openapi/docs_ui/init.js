// Starts Swagger UI on /docs: a file of our own, since the page's policy allows no inline
// script. The bundle comes from the pinned fastapi-offline package (see docs_ui.py).
window.addEventListener("load", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
