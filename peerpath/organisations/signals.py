"""What the organisations app announces, for the apps above it to act on.

`organisation_set_up` is sent by `setup.set_up_organisation`, inside its transaction, once the
organisation's collections and editors' group exist (`organisation`, `editors_group`). Apps that
give an organisation more (the workshops app: its index page and its editors' page permissions)
connect to it in their `AppConfig.ready()`; a receiver's error rolls the whole set-up back.
"""

from django.dispatch import Signal

organisation_set_up = Signal()
