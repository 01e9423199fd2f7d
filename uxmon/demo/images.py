"""Product pictures for the demo shop, drawn as small SVGs so the package ships no binaries."""

from __future__ import annotations

from .catalog import Product

SHAPES = {
    "mug": '<rect x="70" y="80" width="130" height="150" rx="18" fill="{c}"/>'
           '<path d="M200 115 q55 0 55 45 q0 45 -55 45" stroke="{c}" stroke-width="18" fill="none"/>',
    "pot": '<ellipse cx="150" cy="165" rx="95" ry="75" fill="{c}"/>'
           '<rect x="120" y="70" width="60" height="28" rx="8" fill="{c}"/>'
           '<path d="M240 150 l45 -35" stroke="{c}" stroke-width="16" stroke-linecap="round"/>',
    "towel": '<rect x="75" y="60" width="150" height="190" rx="6" fill="{c}"/>'
             '<rect x="75" y="200" width="150" height="12" fill="#fff" opacity=".6"/>',
    "bowl": '<path d="M50 130 h200 q0 100 -100 100 q-100 0 -100 -100z" fill="{c}"/>',
}


def product_svg(product: Product) -> str:
    shape = SHAPES.get(product.shape, SHAPES["mug"]).format(c=product.colour)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="300" height="300">'
        '<rect width="300" height="300" fill="#f4f1ec"/>'
        '<ellipse cx="150" cy="262" rx="110" ry="12" fill="#e2ddd4"/>'
        f"{shape}</svg>"
    )
