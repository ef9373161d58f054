import { describe, expect, it } from "vitest";
import { whatsappImageUrl } from "../../lib/integrations/wix/image-url.js";

describe("WhatsApp image URLs", () => {
  it.each([
    ["a Wix original (6000 px, any format) becomes a 1000 px JPEG through Wix's transform",
      "https://static.wixstatic.com/media/2c1d7e_robe~mv2.png", "https://static.wixstatic.com/media/2c1d7e_robe~mv2.png/v1/fit/w_1000,h_1000,q_85/file.jpg"],
    ["a Wix URL that already carries a transform gets ours instead",
      "https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg/v1/fit/w_50,h_50,q_90/file.jpg", "https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg/v1/fit/w_1000,h_1000,q_85/file.jpg"],
    ["a Wix WebP becomes a JPEG", "https://static.wixstatic.com/media/11062b_a1b2~mv2.webp", "https://static.wixstatic.com/media/11062b_a1b2~mv2.webp/v1/fit/w_1000,h_1000,q_85/file.jpg"],
    ["another host's JPEG is kept", "https://cdn.example.fr/img/robe.JPG", "https://cdn.example.fr/img/robe.JPG"],
    ["another host's PNG is kept", "https://cdn.example.fr/img/robe.png", "https://cdn.example.fr/img/robe.png"],
    ["another host's WebP goes as text", "https://cdn.example.fr/img/robe.webp", null],
    ["an SVG goes as text", "https://cdn.example.fr/logo.svg", null],
    ["no image goes as text", null, null],
    ["a non-http URL goes as text", "data:image/png;base64,AAAA", null],
  ])("%s", (_name, input, expected) => {
    expect(whatsappImageUrl(input)).toBe(expected);
  });
});

describe("WhatsApp product cards", () => {
  const product = (imageUrl: string | null) => ({
    id: "p1", name: "Robe portefeuille Terracotta", price: "79.90", originalPrice: null, currency: "EUR", imageUrl,
    description: "", inStock: true, url: "https://www.maison-lumiere.fr/product-page/robe",
  });

  it("sends a Wix product image as Wix's 1000 px JPEG, and a WebP from elsewhere as text", async () => {
    const { productCard } = await import("../../lib/channels/whatsapp/render.js");
    const wix = productCard(product("https://static.wixstatic.com/media/2c1d7e_robe~mv2.png") as never, { lang: "fr", baseUrl: "https://shop.test" });
    expect(wix.body).toMatchObject({ type: "image", image: { link: "https://static.wixstatic.com/media/2c1d7e_robe~mv2.png/v1/fit/w_1000,h_1000,q_85/file.jpg" } });
    const webp = productCard(product("https://cdn.example.fr/robe.webp") as never, { lang: "fr", baseUrl: "https://shop.test" });
    expect(webp.body).toMatchObject({ type: "text" });
  });
});
