def home(r): pass
def commitment_detail(r, slug): pass
def source_detail(r, source_id): pass
def statuses(r): pass
