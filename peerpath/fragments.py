"""StreamField bodies rendered once per published version and shared by every visitor.

Rendering a long body (rich-text link expansion, embeds, document links) costs more than everything
else on a page. The HTML of a published page's body is the same for everyone, so it is cached per
page (Wagtail's `Page.cache_key`), published version and content generation
(`peerpath.caching.PAGES`: a linked page or document changed). Blocks that show something of the
visitor's own (a reflection prompt with their private answer) are never rendered here: the template
renders them for each request.
"""

from django.core.cache import cache
from django.utils.safestring import mark_safe

from . import caching


def _cache_key(request, page, field_name):
    # Wagtail's `Page.cache_key` changes whenever the page is published, moved or renamed.
    (pages,) = caching.generations(request, caching.PAGES)
    return f"peerpath:blocks:{page.cache_key}:{page.live_revision_id}:{field_name}:{pages}"


def rendered_blocks(request, page, field_name, personal_block_types=()):
    """The blocks of `page`'s StreamField `field_name`, each with its HTML.

    Returns `(block, html)` pairs in order; `html` is None for blocks of `personal_block_types`,
    which the template renders itself. Previews and unsaved pages are rendered without the cache.
    """
    blocks = list(getattr(page, field_name))
    use_cache = page.pk is not None and page.live and not getattr(request, "is_preview", False)
    key = _cache_key(request, page, field_name) if use_cache else None
    html = cache.get(key) if use_cache else None
    if html is None or len(html) != len(blocks):
        html = [
            None if block.block_type in personal_block_types else str(block.render())
            for block in blocks
        ]
        if use_cache:
            cache.set(key, html, caching.TIMEOUT)
    return [
        (block, None if fragment is None else mark_safe(fragment))  # noqa: S308 - rendered blocks
        for block, fragment in zip(blocks, html, strict=True)
    ]
