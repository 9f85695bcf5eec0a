from minsheng.platform.web.templating import page_router

router = page_router()
