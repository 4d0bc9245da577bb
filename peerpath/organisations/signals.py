"""What the organisations app announces, for the apps above it to act on.

`organisation_set_up` is sent by `setup.set_up_organisation`, inside its transaction, once the
organisation's collections and role groups exist (`organisation`; `groups`, a dict from each
`roles.Role` to its group; and `editors_group`, the editors' one, as before roles existed). Apps that
give an organisation more (the workshops app: its index page and its editors' page permissions)
connect to it in their `AppConfig.ready()`; a receiver's error rolls the whole set-up back.
"""

from django.dispatch import Signal

organisation_set_up = Signal()
