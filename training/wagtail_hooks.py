from wagtail import hooks

from . import privacy

hooks.register("peerpath_export_personal_data", privacy.export_personal_data)
hooks.register("peerpath_erase_personal_data", privacy.erase_personal_data)
