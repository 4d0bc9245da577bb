app_name = "workshops"

urlpatterns = []
